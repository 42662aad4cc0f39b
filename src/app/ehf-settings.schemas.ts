import { z } from 'zod';

export const ACCESS_POINT_KINDS = ['none', 'http', 'folder'] as const;
export type AccessPointKind = (typeof ACCESS_POINT_KINDS)[number];

export const ehfSettingsUpdateSchema = z.strictObject({
  attachPdf: z.boolean().meta({ description: "Embed the document's PDF in the EHF (BG-24); applies to documents whose EHF is made from now on" }),
  accessPointKind: z.enum(ACCESS_POINT_KINDS).meta({
    description:
      '`none`: EHF can be downloaded but not sent; `http`: POST to an access-point provider; `folder`: write files into a folder another program hands on',
  }),
  accessPointUrl: z
    .url({ protocol: /^https?$/, message: 'An http(s) URL' })
    .max(2000)
    .nullable()
    .optional()
    .meta({ description: 'For `http`: the provider endpoint documents are POSTed to (https; plain http only to a loopback host)', example: 'https://ap.example.no/api/outbound' }),
  token: z
    .string()
    .min(1)
    .max(4096)
    // A bearer token is printable ASCII (RFC 6750 b64token); anything else could not travel in a header.
    .refine((value) => /^[\x21-\x7e]+$/.test(value), { message: 'Printable ASCII without spaces', params: { code: 'token.invalid' } })
    .nullable()
    .optional()
    .meta({ description: 'For `http`: sent as `Authorization: Bearer <token>`. Write-only: omit to keep the stored token, null to remove it' }),
  folderPath: z
    .string()
    .trim()
    .min(1)
    .max(1024)
    .nullable()
    .optional()
    .meta({ description: 'For `folder`: an absolute path on the server; created when missing, must be writable', example: '/var/lib/fakturaflyt/ehf-out' }),
});
export type EhfSettingsUpdateInput = z.infer<typeof ehfSettingsUpdateSchema>;
