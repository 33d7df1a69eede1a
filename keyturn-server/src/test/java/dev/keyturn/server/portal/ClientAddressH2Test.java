package dev.keyturn.server.portal;

import dev.keyturn.server.support.OnH2;

@OnH2
class ClientAddressH2Test extends ClientAddressTests {}
