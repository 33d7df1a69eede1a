/**
 * Internal: the clock-rollback guard. Its behaviour is described on {@link
 * dev.keyturn.client.guard.ClockGuard}.
 */
package dev.keyturn.client.guard;
