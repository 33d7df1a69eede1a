package dev.keyturn.client.guard;

import java.time.Duration;
import java.time.Instant;

/**
 * One reading of the guarded clock.
 *
 * @param clock what the clock said
 * @param effective the time licensing uses: never behind an earlier reading
 * @param behind how far the clock is behind {@code effective} (zero when it is not)
 * @param rollback whether {@code behind} exceeds the tolerance
 */
public record GuardedTime(Instant clock, Instant effective, Duration behind, boolean rollback) {}
