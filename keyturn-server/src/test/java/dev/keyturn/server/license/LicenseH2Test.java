package dev.keyturn.server.license;

import dev.keyturn.server.support.OnH2;

@OnH2
class LicenseH2Test extends LicenseTests {}
