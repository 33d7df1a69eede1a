package dev.keyturn.server.security;

import dev.keyturn.server.support.OnH2;

@OnH2
class StaffRevocationH2Test extends StaffRevocationTests {}
