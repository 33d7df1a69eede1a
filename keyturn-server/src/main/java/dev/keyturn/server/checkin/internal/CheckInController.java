package dev.keyturn.server.checkin.internal;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The endpoints a product's embedded client calls, with its license token (authenticated in the
 * security filter chain by {@link CheckInTokens}).
 */
@RestController
class CheckInController {
  private final CheckInService service;

  CheckInController(CheckInService service) {
    this.service = service;
  }

  @PostMapping("/api/v1/check-in")
  CheckInResponse checkIn(
      @AuthenticationPrincipal Object principal, @RequestBody CheckInRequest body) {
    return service.checkIn(principal, body);
  }

  @GetMapping("/api/v1/capabilities")
  CheckInService.Capabilities capabilities(@AuthenticationPrincipal Object principal) {
    return service.capabilities(principal);
  }
}
