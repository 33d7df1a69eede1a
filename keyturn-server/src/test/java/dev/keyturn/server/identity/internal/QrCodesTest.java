package dev.keyturn.server.identity.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class QrCodesTest {

  @Test
  void the_qr_code_reads_back_as_the_otpauth_uri() throws Exception {
    String uri =
        "otpauth://totp/Keyturn:ada%40example.com?secret="
            + Base32.encode(new byte[20])
            + "&issuer=Keyturn&algorithm=SHA1&digits=6&period=30";

    String dataUri = QrCodes.pngDataUri(uri);

    assertThat(dataUri).startsWith("data:image/png;base64,");
    BufferedImage image =
        ImageIO.read(
            new ByteArrayInputStream(
                Base64.getDecoder().decode(dataUri.substring("data:image/png;base64,".length()))));
    int[] pixels =
        image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    String read =
        new QRCodeReader()
            .decode(
                new BinaryBitmap(
                    new HybridBinarizer(
                        new RGBLuminanceSource(image.getWidth(), image.getHeight(), pixels))))
            .getText();
    assertThat(read).isEqualTo(uri);
  }

  @Test
  void base32_round_trips_and_forgives_how_people_type_it() {
    byte[] secret = "12345678901234567890".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    String encoded = Base32.encode(secret);
    assertThat(encoded).isEqualTo("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assertThat(Base32.decode(encoded.toLowerCase().replaceAll("(.{4})", "$1 "))).isEqualTo(secret);
  }
}
