package dev.keyturn.server.security;

import dev.keyturn.server.support.OnH2;

@OnH2
class LoginThrottleH2Test extends LoginThrottleTests {}
