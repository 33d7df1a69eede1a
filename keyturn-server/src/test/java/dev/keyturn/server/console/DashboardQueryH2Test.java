package dev.keyturn.server.console;

import dev.keyturn.server.support.OnH2;

@OnH2
class DashboardQueryH2Test extends DashboardQueryTests {}
