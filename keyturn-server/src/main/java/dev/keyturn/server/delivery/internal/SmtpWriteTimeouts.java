package dev.keyturn.server.delivery.internal;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.stereotype.Component;

/**
 * Enforces the SMTP write timeout ({@code mail.smtp.writetimeout}, {@code
 * KEYTURN_SMTP_WRITE_TIMEOUT_MS}) of every connection with one watchdog thread ({@link
 * CoarseDeadlines}). Left to itself, Angus Mail starts a timer thread for each connection and, for
 * every write on it (each command, each mail), schedules a task on that thread and cancels it when
 * the write returns: a thread woken per write, a fifth of the server's CPU while delivering
 * (bench/server-daily/README.md). Angus takes the executor for these tasks from the session ({@code
 * mail.smtp.executor.writetimeout}); this puts the shared one there, for each protocol with a write
 * timeout, before the mail sender's session is made. A write that hangs still has its socket
 * closed, at most a tenth of its timeout (and never more than a second) late.
 */
@Component
class SmtpWriteTimeouts implements BeanPostProcessor, DisposableBean {
  private static final String[] PROTOCOLS = {"smtp", "smtps"};
  private static final Duration FINEST_TICK = Duration.ofMillis(10);
  private static final Duration COARSEST_TICK = Duration.ofSeconds(1);

  private volatile CoarseDeadlines deadlines;

  @Override
  public Object postProcessAfterInitialization(Object bean, String beanName) {
    if (bean instanceof JavaMailSenderImpl sender) {
      Properties properties = sender.getJavaMailProperties();
      // The protocols with a write timeout and no executor of the operator's, by their timeout.
      Map<String, Long> timed = new LinkedHashMap<>();
      for (String protocol : PROTOCOLS) {
        long timeout = millis(properties.getProperty("mail." + protocol + ".writetimeout"));
        if (timeout > 0 && !properties.containsKey(executor(protocol))) {
          timed.put(protocol, timeout);
        }
      }
      if (!timed.isEmpty()) {
        CoarseDeadlines shared = deadlines(Duration.ofMillis(Collections.min(timed.values())));
        timed.keySet().forEach(protocol -> properties.put(executor(protocol), shared));
      }
    }
    return bean;
  }

  private static String executor(String protocol) {
    return "mail." + protocol + ".executor.writetimeout";
  }

  /** A timeout as Angus reads it: milliseconds, anything else meaning none (-1). */
  private static long millis(String value) {
    try {
      return value == null ? -1 : Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The one watchdog, ticking at a tenth of the shortest write timeout of the first mail sender
   * (the server has one).
   */
  private synchronized CoarseDeadlines deadlines(Duration timeout) {
    if (deadlines == null) {
      Duration tick = timeout.dividedBy(10);
      tick = tick.compareTo(FINEST_TICK) < 0 ? FINEST_TICK : tick;
      tick = tick.compareTo(COARSEST_TICK) > 0 ? COARSEST_TICK : tick;
      deadlines = new CoarseDeadlines("keyturn-smtp-write-deadlines", tick);
    }
    return deadlines;
  }

  @Override
  public void destroy() {
    CoarseDeadlines d = deadlines;
    if (d != null) {
      d.shutdownNow();
    }
  }
}
