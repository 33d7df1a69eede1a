package dev.keyturn.server.checkin;

import dev.keyturn.server.support.OnH2;

@OnH2
class RequestLimitsH2Test extends RequestLimitsTests {}
