package dev.keyturn.server.checkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.keyturn.server.security.Role;
import dev.keyturn.server.support.Api;
import dev.keyturn.server.support.RawHttp;
import dev.keyturn.server.support.ServerTest;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Request bodies are limited before anything parses them (413 problem+json), and a check-in is
 * authenticated from its headers before its body is read.
 */
abstract class RequestLimitsTests extends ServerTest {
  private static final long HUNDRED_MB = 100L * 1024 * 1024;

  /**
   * A check-in whose usage map never ends: {@code "k0000000001":1,…} for 100 MB, generated into one
   * reused buffer. Parsed, it would become millions of map entries.
   */
  private static RawHttp.BodySource endlessUsage() {
    byte[] open = "{\"usage\":{".getBytes(StandardCharsets.US_ASCII);
    AtomicLong entries = new AtomicLong();
    AtomicLong produced = new AtomicLong();
    return buffer -> {
      if (produced.get() >= HUNDRED_MB) {
        return -1;
      }
      int n = 0;
      if (produced.get() == 0) {
        System.arraycopy(open, 0, buffer, 0, open.length);
        n = open.length;
      }
      while (n + 16 <= buffer.length) {
        long k = entries.incrementAndGet();
        buffer[n++] = '"';
        buffer[n++] = 'k';
        for (int d = 9; d >= 0; d--) {
          buffer[n + d] = (byte) ('0' + k % 10);
          k /= 10;
        }
        n += 10;
        buffer[n++] = '"';
        buffer[n++] = ':';
        buffer[n++] = '1';
        buffer[n++] = ',';
      }
      produced.addAndGet(n);
      return n;
    };
  }

  private String licenseTokenOf(String subscription) {
    return licenseToken(issued(subscription, "P30D").field("text"));
  }

  @Test
  void a_100_mb_streamed_check_in_is_refused_at_64_kib_and_the_heap_stays_flat() throws Exception {
    String token = licenseTokenOf(createSubscription("Flood Corp " + System.nanoTime()));
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long before = memory.getHeapMemoryUsage().getUsed();

    RawHttp.Result r =
        RawHttp.send(
            port,
            "POST /api/v1/check-in HTTP/1.1",
            "Authorization: Bearer "
                + token
                + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked",
            endlessUsage());

    assertThat(r.status()).as(r.response()).isEqualTo(413);
    assertThat(r.response())
        .contains("application/problem+json")
        .contains("\"code\":\"request.too_large\"")
        .contains("64 KiB");
    // The server stops reading at the limit (what it drains before closing is bounded), so the
    // client never gets most of its 100 MB out...
    assertThat(r.bytesSent()).as("bytes the server took").isLessThan(16L * 1024 * 1024);
    // ...and nothing of it stays on the heap. Measured after a collection: the used heap between
    // collections counts every thread's garbage, which says nothing about what a request holds.
    System.gc();
    assertThat(memory.getHeapMemoryUsage().getUsed() - before)
        .as("heap retained in bytes")
        .isLessThan(48L * 1024 * 1024);
  }

  @Test
  void a_check_in_declaring_60_mb_with_a_bogus_token_is_refused_before_its_body() throws Exception {
    RawHttp.Result bogus =
        RawHttp.send(
            port,
            "POST /api/v1/check-in HTTP/1.1",
            "Authorization: Bearer kt_lic_bogus\r\nContent-Type: application/json\r\n"
                + "Content-Length: 1024",
            buffer -> -1); // headers only: the answer must not wait for the body
    assertThat(bogus.status()).as(bogus.response()).isEqualTo(401);
    assertThat(bogus.response()).contains("\"code\":\"license.unknown_token\"");

    RawHttp.Result declared =
        RawHttp.send(
            port,
            "POST /api/v1/check-in HTTP/1.1",
            "Authorization: Bearer kt_lic_bogus\r\nContent-Type: application/json\r\n"
                + "Content-Length: 62914560",
            buffer -> -1);
    assertThat(declared.status()).as(declared.response()).isEqualTo(413);
  }

  @Test
  void every_endpoint_has_a_limit_answered_413_problem_json() throws Exception {
    String token = licenseTokenOf(createSubscription("Limit Corp " + System.nanoTime()));
    String[][] cases = {
      {"POST /api/v1/check-in HTTP/1.1", "Authorization: Bearer " + token, "65537"},
      {"POST /api/v1/renewal-requests HTTP/1.1", "X-Nothing: 1", "65537"},
      {"POST /webhooks/stripe HTTP/1.1", "Stripe-Signature: t=1,v1=00", "1048577"},
      {
        "POST /api/v1/subscriptions HTTP/1.1",
        "Authorization: " + Api.basic("admin", ADMIN_PASSWORD),
        "1048577"
      },
    };
    for (String[] c : cases) {
      RawHttp.Result r =
          RawHttp.send(
              port,
              c[0],
              c[1] + "\r\nContent-Type: application/json\r\nContent-Length: " + c[2],
              buffer -> -1);
      assertThat(r.status()).as(c[0] + ": " + r.response()).isEqualTo(413);
      assertThat(r.response())
          .contains("application/problem+json")
          .contains("\"max_bytes\":" + (Long.parseLong(c[2]) - 1));
    }
    // Within the limit, nothing changes.
    assertThat(as(Role.READONLY).get("/api/v1/subscriptions").status()).isEqualTo(200);
  }

  @Test
  void a_check_in_of_exactly_64_kib_is_answered_and_one_byte_more_is_not() throws Exception {
    Api.Response license = issued(createSubscription("Edge Corp " + System.nanoTime()), "P30D");
    String token = licenseToken(license.field("text"));
    String report =
        "{\"license_id\":\""
            + license.field("id")
            + "\",\"instance_id\":\"inst-edge\",\"instance_domain\":\"tools.example\","
            + "\"usage\":{\"users\":12},\"client_version\":\"0.1.0\"}";
    int limit = (int) dev.keyturn.server.web.RequestSizeLimits.CHECK_IN.toBytes();
    for (int size : new int[] {limit, limit + 1}) {
      // The same report, padded with the white space JSON allows after it to exactly that size.
      byte[] body =
          (report + " ".repeat(size - report.length())).getBytes(StandardCharsets.US_ASCII);
      AtomicLong sent = new AtomicLong();
      RawHttp.Result r =
          RawHttp.send(
              port,
              "POST /api/v1/check-in HTTP/1.1",
              "Authorization: Bearer "
                  + token
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + size,
              buffer -> {
                if (sent.get() == body.length) {
                  return -1;
                }
                int n = (int) Math.min(buffer.length, body.length - sent.get());
                System.arraycopy(body, (int) sent.get(), buffer, 0, n);
                sent.addAndGet(n);
                return n;
              });
      assertThat(r.status())
          .as(size + " bytes: " + r.response())
          .isEqualTo(size == limit ? 200 : 413);
    }
  }
}
