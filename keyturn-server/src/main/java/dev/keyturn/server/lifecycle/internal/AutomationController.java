package dev.keyturn.server.lifecycle.internal;

import dev.keyturn.server.delivery.DeliveryWorker;
import dev.keyturn.server.lifecycle.LicenseGaps;
import dev.keyturn.server.lifecycle.Sweep;
import dev.keyturn.server.web.OpenApiConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * License gaps, and running the automation now (the sweep and the delivery worker). Tagged with the
 * payments, where the API document has always listed them.
 */
@RestController
@Tag(name = "Payments", description = "Payments recorded by hand, license gaps, the automation")
class AutomationController {
  private final LicenseGaps gaps;
  private final Clock clock;
  private final Sweep sweep;
  private final DeliveryWorker deliveries;

  AutomationController(LicenseGaps gaps, Clock clock, Sweep sweep, DeliveryWorker deliveries) {
    this.gaps = gaps;
    this.clock = clock;
    this.sweep = sweep;
    this.deliveries = deliveries;
  }

  @GetMapping("/api/v1/license-gaps")
  @Operation(
      summary = "List license gaps",
      description =
          "Subscriptions paid beyond their newest license's expiry (paid but not issued). Any"
              + " signed-in role.")
  @ApiResponse(responseCode = "200", description = "The gaps; empty when all is issued")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  List<LicenseGaps.Gap> gaps() {
    return gaps.find(clock.instant());
  }

  /** Runs a sweep and the delivery worker now (after moving the test clock, for instance). */
  @PostMapping("/api/v1/automation/run")
  @Operation(
      summary = "Run the sweep and the delivery worker now",
      description =
          "What the scheduler does every few minutes, at once (after moving the test clock, for"
              + " instance). Answers how many subscriptions were swept and messages delivered, with"
              + " elapsed milliseconds. ADMIN.")
  @ApiResponse(responseCode = "200", description = "swept, sweep_ms, delivered, delivery_ms")
  @ApiResponse(responseCode = "401", ref = OpenApiConfiguration.UNAUTHENTICATED)
  @ApiResponse(responseCode = "403", ref = OpenApiConfiguration.FORBIDDEN)
  Map<String, Object> runNow(
      @Parameter(description = "false: sweep only, leave the outbox for the worker")
          @RequestParam(defaultValue = "true")
          boolean deliver) {
    // Elapsed times (not instants), for the operator and the benchmark.
    long start = System.nanoTime();
    int swept = sweep.run();
    long sweptAt = System.nanoTime();
    int delivered = deliver ? deliveries.runOnce() : 0;
    long end = System.nanoTime();
    return Map.of(
        "swept",
        swept,
        "sweep_ms",
        (sweptAt - start) / 1_000_000,
        "delivered",
        delivered,
        "delivery_ms",
        (end - sweptAt) / 1_000_000);
  }
}
