package dev.keyturn.server.testclock;

import dev.keyturn.server.support.OnH2;

@OnH2
class TestClockEndpointH2Test extends TestClockEndpointTests {}
