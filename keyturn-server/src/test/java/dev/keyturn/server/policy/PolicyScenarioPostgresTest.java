package dev.keyturn.server.policy;

import dev.keyturn.server.support.OnPostgres;

@OnPostgres
class PolicyScenarioPostgresTest extends PolicyScenarioTests {}
