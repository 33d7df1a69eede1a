package dev.keyturn.server.lifecycle;

import dev.keyturn.server.support.OnH2;

@OnH2
class SchedulerTimeZoneH2Test extends SchedulerTimeZoneTests {}
