package dev.keyturn.server.portal;

import dev.keyturn.server.support.OnH2;

@OnH2
class UsagePagesH2Test extends UsagePagesTests {}
