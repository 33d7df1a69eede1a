package dev.keyturn.client.checkin;

import java.time.Duration;
import java.util.Optional;

/**
 * The server's answer, decoded. {@code kind} says which part of the contract it was.
 *
 * @param reason the revocation reason (403), or what was wrong with an unexpected answer
 * @param license the newest license file text, when the server sent one
 * @param paymentFailing the standing says a renewal waits for a payment retry
 * @param standingMessage the standing's {@code message}, shown with the payment flag
 */
public record CheckInReply(
    Kind kind,
    int status,
    Optional<String> reason,
    Optional<String> license,
    Optional<Duration> checkInAfter,
    boolean paymentFailing,
    Optional<String> standingMessage) {

  public enum Kind {
    /** 200 with {@code "revoked": false}. */
    OK,
    /** 200 with {@code "revoked": true}, or 403 with {@code {"revoked": true}}. */
    REVOKED,
    /** 401: the server does not know this license. */
    UNKNOWN_LICENSE,
    /** 409: another instance holds this license. */
    CONFLICT,
    /** Any other status, or a body that does not follow the contract: nothing is changed. */
    UNEXPECTED
  }

  static CheckInReply of(Kind kind, int status, String reason) {
    return new CheckInReply(
        kind,
        status,
        Optional.ofNullable(reason),
        Optional.empty(),
        Optional.empty(),
        false,
        Optional.empty());
  }
}
