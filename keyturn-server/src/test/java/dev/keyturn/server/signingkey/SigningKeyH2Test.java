package dev.keyturn.server.signingkey;

import dev.keyturn.server.support.OnH2;

@OnH2
class SigningKeyH2Test extends SigningKeyTests {}
