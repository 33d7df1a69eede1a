package dev.keyturn.server.usage;

import dev.keyturn.server.support.OnH2;

@OnH2
class UsageReportH2Test extends UsageReportTests {}
