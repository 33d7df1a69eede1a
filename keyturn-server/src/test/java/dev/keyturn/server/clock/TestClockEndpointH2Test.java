package dev.keyturn.server.clock;

import dev.keyturn.server.support.OnH2;

@OnH2
class TestClockEndpointH2Test extends TestClockEndpointTests {}
