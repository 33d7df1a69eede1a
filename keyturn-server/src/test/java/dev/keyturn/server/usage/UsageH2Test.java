package dev.keyturn.server.usage;

import dev.keyturn.server.support.OnH2;

@OnH2
class UsageH2Test extends UsageTests {}
