import { z } from 'zod';
import {
  DEFAULT_TEMPLATE_SETTINGS,
  DOCUMENT_DESIGNS,
  DOCUMENT_FONTS,
  HEX_COLOR,
  OPTIONAL_FIELDS,
  type OptionalField,
} from '../domain/document/template-settings.js';
import { languageSchema, optionalText } from './common.schemas.js';

/** Largest logo accepted, in bytes. */
export const LOGO_MAX_BYTES = 512 * 1024;
/** Largest logo side in pixels (a logo prints at most ~6 cm wide). */
export const LOGO_MAX_PIXELS = 4000;

const showFieldsShape = Object.fromEntries(OPTIONAL_FIELDS.map((field) => [field, z.boolean().optional()])) as Record<
  OptionalField,
  z.ZodOptional<z.ZodBoolean>
>;

/**
 * The template settings (PUT replaces them: a field left out gets its default).
 * Everything the law requires is printed whatever `showFields` says.
 */
export const documentTemplateSchema = z.strictObject({
  design: z.enum(DOCUMENT_DESIGNS).default(DEFAULT_TEMPLATE_SETTINGS.design),
  accentColor: z
    .string()
    .regex(HEX_COLOR, { message: 'A colour as #rrggbb' })
    .transform((value) => value.toLowerCase())
    .default(DEFAULT_TEMPLATE_SETTINGS.accentColor)
    .meta({ example: '#1f4e79' }),
  font: z.enum(DOCUMENT_FONTS).default(DEFAULT_TEMPLATE_SETTINGS.font).meta({ description: 'DejaVu Sans, DejaVu Serif or DejaVu Sans Condensed' }),
  headerText: optionalText(500).meta({ description: 'Printed under the title on page one' }),
  footerText: optionalText(500).meta({ description: 'Printed at the foot of every page' }),
  paymentText: optionalText(300).meta({ description: 'Printed in the payment box' }),
  showFields: z
    .strictObject(showFieldsShape)
    .default({})
    .meta({ description: 'Optional items to print (a field left out keeps its default: all on except productNumbers)' }),
});
export type DocumentTemplateInput = z.infer<typeof documentTemplateSchema>;

export const documentPreviewSchema = z.strictObject({
  settings: documentTemplateSchema.optional().meta({ description: 'Unsaved settings to preview; the saved ones when left out' }),
  language: languageSchema.optional().meta({ description: "Document language; the company's default when left out" }),
});
export type DocumentPreviewInput = z.infer<typeof documentPreviewSchema>;
