package dev.keyturn.cli.keys;

import dev.keyturn.cli.args.KeyIdArg;
import dev.keyturn.core.crypto.KeyFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code keyturn keys generate}: a new signing key pair. */
@Command(
    name = "generate",
    sortOptions = false,
    description = {
      "Generate an Ed25519 key pair: <DIR>/<ID>.private.pem (PKCS#8, readable by you only)",
      "and <DIR>/<ID>.public.pem (X.509), which products trust to verify licenses.",
      "Existing files are never overwritten."
    },
    footerHeading = "%nExample:%n",
    footer = "  keyturn keys generate --key-id 2026-a --out keys/")
public final class GenerateKeysCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Option(
      names = "--key-id",
      required = true,
      paramLabel = "ID",
      converter = KeyIdArg.class,
      description = "Key id written into every license this key signs, e.g. 2026-a.")
  private String keyId;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder for the two PEM files; created if missing.")
  private Path dir;

  @Override
  public Integer call() {
    KeyFiles.Written written = KeyFiles.generate(keyId, dir);
    PrintWriter out = spec.commandLine().getOut();
    out.println("Private key: " + written.privateKey() + " (keep it secret; it signs licenses)");
    out.println("Public key:  " + written.publicKey() + " (give it to products to trust)");
    // Folders like keys/ often sit inside a project, one `git add .` away from being published.
    out.println();
    out.println(
        "The private key belongs in a secrets store or on the machine that signs, never in");
    out.println("version control: move it there, or ignore its folder (keys/, *.private.pem) in");
    out.println(".gitignore. Anyone holding it can issue licenses your products accept.");
    out.flush();
    return 0;
  }
}
