package dev.keyturn.server.portal;

import dev.keyturn.server.support.OnH2;

@OnH2
class SignInH2Test extends SignInTests {}
