package dev.keyturn.server.license.internal;

import dev.keyturn.core.lifecycle.Phase;
import dev.keyturn.server.license.IssueRequest;
import dev.keyturn.server.license.LicenseFile;
import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.license.LicenseQuery;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.subscription.InstanceType;
import dev.keyturn.server.web.KeyturnServerException;
import dev.keyturn.server.web.Paging;
import dev.keyturn.server.web.ValidationException;
import java.time.Clock;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
class LicenseController {

  private final LicenseIssuer issuer;
  private final Licenses licenses;
  private final Clock clock;

  LicenseController(LicenseIssuer issuer, Licenses licenses, Clock clock) {
    this.issuer = issuer;
    this.licenses = licenses;
    this.clock = clock;
  }

  /**
   * @param reason internal, for staff only
   * @param customerMessage what the customer's product is told at check-in (optional)
   */
  record RevokeRequest(String reason, String customerMessage) {}

  @PostMapping("/api/v1/subscriptions/{id}/licenses")
  @ResponseStatus(HttpStatus.CREATED)
  LicenseView issue(@PathVariable String id, @RequestBody IssueRequest body) {
    return LicenseView.of(issuer.issue(id, body, Actor.current()), clock.instant(), true);
  }

  @GetMapping("/api/v1/licenses")
  List<LicenseView> list(
      @RequestParam(name = "subscription_id", required = false) String subscriptionId,
      @RequestParam(required = false) Phase phase,
      @RequestParam(required = false) String tag,
      @RequestParam(name = "instance_type", required = false) InstanceType instanceType,
      @RequestParam(required = false) Boolean expired,
      @RequestParam(required = false) Boolean revoked,
      @RequestParam(required = false) String sort,
      @RequestParam(required = false) Integer limit,
      @RequestParam(required = false) Integer offset) {
    LicenseQuery.Sort order =
        sort == null
            ? LicenseQuery.Sort.ISSUED_AT_DESC
            : LicenseQuery.Sort.fromParam(sort)
                .orElseThrow(
                    () ->
                        ValidationException.of(
                            "sort",
                            "'"
                                + sort
                                + "' is not one of expires_at, -expires_at, issued_at, -issued_at"));
    var now = clock.instant();
    return licenses
        .search(
            new LicenseQuery(
                subscriptionId,
                phase,
                tag,
                instanceType,
                expired,
                revoked,
                order,
                Paging.limit(limit),
                Paging.offset(offset)),
            now)
        .stream()
        .map(l -> LicenseView.of(l, now, false))
        .toList();
  }

  @GetMapping("/api/v1/licenses/{id}")
  LicenseView get(@PathVariable String id) {
    return LicenseView.of(find(id), clock.instant(), true);
  }

  /** The exact signed file, ready to send to the customer. */
  @GetMapping("/api/v1/licenses/{id}/download")
  ResponseEntity<String> download(@PathVariable String id) {
    return LicenseFile.download(find(id));
  }

  @PostMapping("/api/v1/licenses/{id}/revoke")
  LicenseView revoke(@PathVariable String id, @RequestBody RevokeRequest body) {
    return LicenseView.of(
        issuer.revoke(id, body.reason(), body.customerMessage(), Actor.current()),
        clock.instant(),
        false);
  }

  private LicenseRecord find(String id) {
    return licenses.find(id).orElseThrow(() -> KeyturnServerException.notFound("license", id));
  }
}
