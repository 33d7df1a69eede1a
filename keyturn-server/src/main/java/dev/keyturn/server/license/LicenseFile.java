package dev.keyturn.server.license;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** A license as a download: the signed file byte for byte, named {@code <id>.license.toml}. */
public final class LicenseFile {
  static final MediaType TOML = MediaType.parseMediaType("application/toml;charset=UTF-8");

  private LicenseFile() {}

  public static ResponseEntity<String> download(LicenseRecord license) {
    return ResponseEntity.ok()
        .contentType(TOML)
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            "attachment; filename=\"" + license.id() + ".license.toml\"")
        .body(license.text());
  }
}
