import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/** A local SMTP server for the mail-throughput run: GreenMail on 127.0.0.1:3025, keeps nothing. */
public class SmtpSink {
  public static void main(String[] args) throws Exception {
    GreenMail smtp = new GreenMail(new ServerSetup(3025, "127.0.0.1", "smtp"));
    smtp.start();
    System.out.println("SMTP on 127.0.0.1:3025");
    while (true) {
      Thread.sleep(5_000);
      smtp.purgeEmailFromAllMailboxes(); // bounded memory however many mails arrive
    }
  }
}
