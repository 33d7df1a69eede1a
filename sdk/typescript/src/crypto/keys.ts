import { createPublicKey, type KeyObject } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join } from "node:path";
import { KeyError } from "../errors.js";

export const PUBLIC_SUFFIX = ".public.pem";
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_PEM_BYTES = 16 * 1024;

export function requireKeyId(keyId: string): string {
  if (!KEY_ID.test(keyId)) {
    throw new KeyError(
      `key id '${keyId}' must be 1 to 64 of A-Z, a-z, 0-9, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return keyId;
}

/** An Ed25519 public key from X.509 SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), as OpenSSL writes it. */
export function readPublicKeyPem(pem: string): KeyObject {
  const m = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]*)-----END PUBLIC KEY-----/.exec(pem);
  if (!m) {
    if (pem.includes("-----BEGIN PRIVATE KEY-----")) {
      throw new KeyError("this is a private key, not a public key");
    }
    throw new KeyError("no '-----BEGIN PUBLIC KEY-----' block found");
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: Buffer.from((m[1] ?? "").replace(/\s+/g, ""), "base64"), format: "der", type: "spki" });
  } catch {
    throw new KeyError("not an Ed25519 public key (X.509 SubjectPublicKeyInfo)");
  }
  if (key.asymmetricKeyType !== "ed25519") {
    throw new KeyError("not an Ed25519 public key (X.509 SubjectPublicKeyInfo)");
  }
  return key;
}

/**
 * The public keys a verifier trusts, by key id. Rotation keeps old ids here, so licenses signed before a rotation
 * keep verifying.
 */
export class KeyRing {
  private constructor(private readonly keys: ReadonlyMap<string, KeyObject>) {}

  /** From PEM texts by key id. */
  static of(pems: Record<string, string>): KeyRing {
    const b = new KeyRingBuilder();
    for (const [id, pem] of Object.entries(pems)) b.add(id, readPublicKeyPem(pem));
    return b.build();
  }

  /** From `<id>.public.pem` files, `<id>.pem` files, or folders of `*.public.pem`. */
  static fromPaths(...paths: string[]): KeyRing {
    const b = new KeyRingBuilder();
    for (const p of paths) b.addPath(p);
    return b.build();
  }

  static builder(): KeyRingBuilder {
    return new KeyRingBuilder();
  }

  /** @internal */
  static fromMap(keys: ReadonlyMap<string, KeyObject>): KeyRing {
    return new KeyRing(new Map(keys));
  }

  find(keyId: string): KeyObject | undefined {
    return this.keys.get(keyId);
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }

  get size(): number {
    return this.keys.size;
  }
}

/** Collects trusted keys from PEM texts, files and folders. */
export class KeyRingBuilder {
  private readonly keys = new Map<string, KeyObject>();

  add(keyId: string, key: KeyObject): this {
    const previous = this.keys.get(requireKeyId(keyId));
    if (previous && !previous.equals(key)) {
      throw new KeyError(`two different public keys are both named '${keyId}'`);
    }
    this.keys.set(keyId, previous ?? key);
    return this;
  }

  addPath(path: string): this {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      throw new KeyError(`no such key file or folder: ${path}`);
    }
    if (stat.isDirectory()) {
      const files = readdirSync(path)
        .filter((f) => f.endsWith(PUBLIC_SUFFIX))
        .sort();
      if (files.length === 0) throw new KeyError(`no *${PUBLIC_SUFFIX} files in ${path}`);
      for (const f of files) this.addFile(join(path, f));
    } else {
      this.addFile(path);
    }
    return this;
  }

  private addFile(file: string): void {
    const name = basename(file);
    const id = name.endsWith(PUBLIC_SUFFIX)
      ? name.slice(0, -PUBLIC_SUFFIX.length)
      : name.endsWith(".pem")
        ? name.slice(0, -4)
        : name;
    let text: string;
    try {
      if (statSync(file).size > MAX_PEM_BYTES) {
        throw new KeyError(`${file}: larger than ${MAX_PEM_BYTES} bytes; not a key file`);
      }
      text = readFileSync(file, "latin1");
    } catch (e) {
      if (e instanceof KeyError) throw e;
      throw new KeyError(`${file}: cannot read key file: ${(e as Error).message}`);
    }
    try {
      this.add(id, readPublicKeyPem(text));
    } catch (e) {
      throw e instanceof KeyError && !e.message.startsWith("two different")
        ? new KeyError(`${file}: ${e.message}`)
        : e;
    }
  }

  build(): KeyRing {
    return KeyRing.fromMap(this.keys);
  }
}
