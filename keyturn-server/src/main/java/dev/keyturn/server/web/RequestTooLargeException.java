package dev.keyturn.server.web;

import java.io.IOException;
import org.springframework.util.unit.DataSize;

/** A body grew past its limit while being read (chunked, or longer than it declared). */
public final class RequestTooLargeException extends IOException {
  private final DataSize limit;

  RequestTooLargeException(DataSize limit) {
    super("the request body is larger than " + limit.toBytes() + " bytes");
    this.limit = limit;
  }

  public DataSize limit() {
    return limit;
  }
}
