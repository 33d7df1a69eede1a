package dev.keyturn.server.license.internal;

import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.OpenApiConfiguration;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Re-issuing the current licenses under a policy's new revision (issue 21). */
@RestController
@Tag(name = "Policies")
class PolicyReissueController {
  private final LicenseIssuer issuer;

  PolicyReissueController(LicenseIssuer issuer) {
    this.issuer = issuer;
  }

  @PostMapping("/api/v1/policies/{name}/reissue")
  @Operation(
      summary = "Re-issue the current licenses of the subscriptions using a policy",
      description =
          "A license carries the policy it was issued under, so an edited policy reaches"
              + " products only through new licenses. This issues, for every subscription naming"
              + " the policy, a license with the current one's expiry, valid from now, under the"
              + " policy as it is now, and mails it to the contacts. Archived subscriptions and"
              + " expired licenses are skipped. Audited as policy.reissued (and license.issued for"
              + " each). ADMIN or SALES.")
  @ApiResponse(responseCode = "200", description = "The new licenses and the skipped subscriptions")
  @ApiResponse(responseCode = "404", ref = OpenApiConfiguration.NOT_FOUND)
  LicenseIssuer.Reissue reissue(@PathVariable String name) {
    return issuer.reissue(name, Actor.current());
  }
}
