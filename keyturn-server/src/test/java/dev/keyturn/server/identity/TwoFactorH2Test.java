package dev.keyturn.server.identity;

import dev.keyturn.server.support.OnH2;

@OnH2
class TwoFactorH2Test extends TwoFactorTests {}
