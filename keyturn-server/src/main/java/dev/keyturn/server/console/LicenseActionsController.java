package dev.keyturn.server.console;

import dev.keyturn.server.license.LicenseIssuer;
import dev.keyturn.server.license.LicenseRecord;
import dev.keyturn.server.license.Licenses;
import dev.keyturn.server.security.Actor;
import dev.keyturn.server.web.KeyturnServerException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** A license's file, and revoking it. */
@Controller
class LicenseActionsController {
  private static final MediaType TOML = MediaType.parseMediaType("application/toml;charset=UTF-8");

  private final Licenses licenses;
  private final LicenseIssuer issuer;

  LicenseActionsController(Licenses licenses, LicenseIssuer issuer) {
    this.licenses = licenses;
    this.issuer = issuer;
  }

  /** The exact signed file, to send to the customer. */
  @GetMapping("/console/licenses/{id}/download")
  ResponseEntity<String> download(@PathVariable String id) {
    LicenseRecord license = find(id);
    return ResponseEntity.ok()
        .contentType(TOML)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"" + license.id() + ".license.toml\"")
        .body(license.text());
  }

  @PostMapping("/console/licenses/{id}/revoke")
  String revoke(
      @PathVariable String id,
      @RequestParam(defaultValue = "") String reason,
      @RequestParam(defaultValue = "") String customerMessage,
      RedirectAttributes redirect) {
    LicenseRecord license = find(id);
    try {
      issuer.revoke(id, reason, customerMessage, Actor.current());
      redirect.addFlashAttribute("flash", "License " + id + " revoked.");
    } catch (KeyturnServerException e) {
      redirect.addFlashAttribute("flashError", "Not revoked: " + e.getMessage());
    }
    return "redirect:/console/subscriptions/" + license.subscriptionId();
  }

  private LicenseRecord find(String id) {
    return licenses.find(id).orElseThrow(() -> KeyturnServerException.notFound("license", id));
  }
}
