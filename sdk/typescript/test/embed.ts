// The README's "Embed in five lines", compiled with the tests (so it type-checks) and run by readme.test.ts, which
// also checks that the README shows exactly the lines between the markers.
import http from "node:http";
import { KeyRing, LicenseManager, nodeMiddleware } from "../src/index.js";

export function embed(stateDir: string, keysDir: string, app: http.RequestListener): http.Server {
  // README-BEGIN
  const licenses = new LicenseManager({ stateDir, trustedKeys: KeyRing.fromPaths(keysDir) });
  const keyturn = nodeMiddleware(licenses, { productName: "Acme Notes" });
  const server = http.createServer(async (req, res) => { if (!(await keyturn(req, res))) app(req, res); });
  if (licenses.allows("sso")) console.log("single sign-on is licensed");
  if (licenses.mode() === "READ_ONLY") console.log("saving is paused until a renewal is installed");
  // README-END
  server.on("close", () => licenses.close());
  return server;
}
