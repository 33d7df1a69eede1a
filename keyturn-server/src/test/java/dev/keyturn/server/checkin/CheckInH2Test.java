package dev.keyturn.server.checkin;

import dev.keyturn.server.support.OnH2;

@OnH2
class CheckInH2Test extends CheckInTests {}
