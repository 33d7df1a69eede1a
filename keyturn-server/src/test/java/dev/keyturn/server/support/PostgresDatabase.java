package dev.keyturn.server.support;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * The local PostgreSQL (127.0.0.1:5432, user postgres, database test, trust auth). Each test run
 * gets a fresh schema, dropped when the JVM exits; every session runs in Asia/Tokyo so that code
 * which leans on the session time zone shows itself.
 */
public final class PostgresDatabase {
  /** Overridable with {@code -Dkeyturn.test.postgres=jdbc:postgresql://host:port/db}. */
  static final String SERVER =
      System.getProperty("keyturn.test.postgres", "jdbc:postgresql://127.0.0.1:5432/test");

  static final String USER = "postgres";
  static final String SESSION_TIME_ZONE = "Asia/Tokyo";
  private static String url;

  private PostgresDatabase() {}

  public static boolean reachable() {
    try (Connection c = DriverManager.getConnection(SERVER + "?connectTimeout=2", USER, "")) {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  public static synchronized String url() {
    if (url == null) {
      url = newSchemaUrl();
    }
    return url;
  }

  /**
   * A schema of its own, also dropped when the JVM exits: for a test that starts its own servers
   * and must not share their state (e.g. the test clock) with this run's other servers.
   */
  public static String newSchemaUrl() {
    String schema = "keyturn_test_" + HexFormat.of().formatHex(randomBytes());
    execute("create schema " + schema);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> execute("drop schema if exists " + schema + " cascade")));
    return SERVER + "?currentSchema=" + schema;
  }

  /** The session time zone every test connection is set to. */
  public static String sessionTimeZone() {
    return SESSION_TIME_ZONE;
  }

  /** This run's schema, reached through another port on loopback (a proxy in front of it). */
  public static String urlThrough(int port) {
    return url().replaceFirst("//[^/]+/", "//127.0.0.1:" + port + "/");
  }

  /** The server's host and port, as {@code host:port}. */
  public static String address() {
    return SERVER.replaceFirst("^jdbc:postgresql://([^/]+)/.*$", "$1");
  }

  public static String user() {
    return USER;
  }

  private static byte[] randomBytes() {
    byte[] b = new byte[6];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(SERVER, USER, "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL: " + sql + ": " + e.getMessage(), e);
    }
  }
}
