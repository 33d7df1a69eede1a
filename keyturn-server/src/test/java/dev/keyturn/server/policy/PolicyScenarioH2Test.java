package dev.keyturn.server.policy;

import dev.keyturn.server.support.OnH2;

@OnH2
class PolicyScenarioH2Test extends PolicyScenarioTests {}
