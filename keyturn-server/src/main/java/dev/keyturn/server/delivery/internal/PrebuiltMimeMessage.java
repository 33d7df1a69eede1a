package dev.keyturn.server.delivery.internal;

import jakarta.mail.Address;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A mail whose bytes are written already ({@link MimeBytes}), handed to Jakarta Mail's SMTP
 * transport, which keeps doing the protocol (authentication, TLS, dot-stuffing, line ends): the
 * transport asks a message for its sender and recipients and has it write itself, nothing else.
 */
final class PrebuiltMimeMessage extends MimeMessage {
  private final InternetAddress sender;
  private final InternetAddress recipient;
  private final byte[] bytes;

  PrebuiltMimeMessage(
      Session session, InternetAddress sender, InternetAddress recipient, byte[] bytes) {
    super(session);
    this.sender = sender;
    this.recipient = recipient;
    this.bytes = bytes;
  }

  @Override
  public Address[] getFrom() {
    return new Address[] {sender};
  }

  @Override
  public Address[] getAllRecipients() {
    return new Address[] {recipient};
  }

  @Override
  public void saveChanges() {
    // written once, complete
  }

  @Override
  public void writeTo(OutputStream os) throws IOException {
    os.write(bytes);
  }

  @Override
  public void writeTo(OutputStream os, String[] ignoreList) throws IOException {
    // Bcc and Content-Length, which the transport leaves out, are never written here.
    os.write(bytes);
  }

  @Override
  public int getSize() {
    return bytes.length;
  }
}
