package dev.keyturn.server.checkin.internal;

import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/** The endpoints a product's embedded client calls, with its license token. */
@RestController
class CheckInController {
  private final CheckInService service;

  CheckInController(CheckInService service) {
    this.service = service;
  }

  @PostMapping("/api/v1/check-in")
  CheckInResponse checkIn(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestBody CheckInRequest body) {
    return service.checkIn(authorization, body);
  }

  @GetMapping("/api/v1/capabilities")
  CheckInService.Capabilities capabilities(
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    return service.capabilities(authorization);
  }
}
