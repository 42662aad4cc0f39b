import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * The certificates of SMTP_EXTRA_CA_FILE (one or more PEM blocks), read once at start-up.
 * Fails start-up with the reason when the file cannot be read or holds anything but
 * certificates: a typo here would otherwise surface only as failed deliveries later.
 */
export function readExtraCaFile(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`SMTP_EXTRA_CA_FILE: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  if (certificates.length === 0) throw new Error(`SMTP_EXTRA_CA_FILE: ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  certificates.forEach((pem, index) => {
    try {
      new X509Certificate(pem);
    } catch (error) {
      throw new Error(`SMTP_EXTRA_CA_FILE: certificate ${index + 1} in ${file} is not valid: ${(error as Error).message}`, { cause: error });
    }
  });
  return certificates;
}
