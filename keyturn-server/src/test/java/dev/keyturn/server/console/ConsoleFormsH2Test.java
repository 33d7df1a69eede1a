package dev.keyturn.server.console;

import dev.keyturn.server.support.OnH2;

@OnH2
class ConsoleFormsH2Test extends ConsoleFormsTests {}
