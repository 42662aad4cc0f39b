/**
 * Hand-made bank files for HTTP tests: a Nets OCR giro file (one service-09 assignment, control
 * records that match, gross totals) and a camt.054.001.02 notification with one entry per
 * transaction (credits, and reversals: a DBIT entry with RvslInd=true is a reversed credit).
 */

export interface OcrItem {
  /** Transaction type: 10–17 and 19/21 payments, 18 (reversal with KID) and 20 (reversal with free text). */
  type: string;
  /** Øre, positive: types 18/20 are negative by their type. */
  amount: number;
  kid?: string;
  /** DDMMYY. */
  netsDate?: string;
  debitAccount?: string;
  /** Amount item 3 (types 20/21). */
  text?: string;
}

const digits = (value: number | string, width: number) => String(value).padStart(width, '0');

function record(content: string): string {
  if (content.length > 80) throw new Error(`record too long: ${content}`);
  return content.padEnd(80, '0');
}

/**
 * An OCR giro file. The bank reference of a transaction is built from the agreement, the
 * assignment number, the Nets date, the serial number and the transaction number: give files
 * another `netsDate` or `firstTransactionNumber` to make their transactions new.
 */
export function ocrGiroFile(items: readonly OcrItem[], options: { transmissionNumber?: string; firstTransactionNumber?: number } = {}): Buffer {
  const body: string[] = [];
  const first = options.firstTransactionNumber ?? 1;
  items.forEach((item, index) => {
    const number = digits(first + index, 7);
    const netsDate = item.netsDate ?? '201126';
    const kid = (item.kid ?? '').padStart(25, ' ');
    body.push(record(`NY09${item.type}30${number}${netsDate}13201${'01464'}0${digits(item.amount, 17)}${kid}`));
    body.push(record(`NY09${item.type}31${number}9636827194099038562${'0000000'}${netsDate}${item.debitAccount ?? '99990512341'}`));
    if (item.text !== undefined) body.push(record(`NY09${item.type}32${number}${item.text.padEnd(40, ' ')}`));
  });
  const total = items.reduce((sum, item) => sum + item.amount, 0);
  const assignmentRecords = body.length + 2;
  const netsDate = items[0]?.netsDate ?? '201126';
  const lines = [
    record(`NY000010${'00008080'}${options.transmissionNumber ?? '0170031'}00010200`),
    record('NY090020001008566000000299991042764'),
    ...body,
    record(`NY090088${digits(items.length, 8)}${digits(assignmentRecords, 8)}${digits(total, 17)}${netsDate}${netsDate}${netsDate}`),
    record(`NY000089${digits(items.length, 8)}${digits(assignmentRecords + 2, 8)}${digits(total, 17)}${netsDate}`),
  ];
  return Buffer.from(`${lines.join('\n')}\n`, 'latin1');
}

export interface CamtEntry {
  /** Decimal text, e.g. `1250.00`. */
  amount: string;
  /** AcctSvcrRef of the entry and its TxDtls: the bank reference. */
  ref: string;
  /** CRDT (default) or DBIT. */
  direction?: 'CRDT' | 'DBIT';
  /** RvslInd=true. */
  reversal?: boolean;
  kid?: string;
  text?: string;
  payer?: string;
  payerAccount?: string;
  endToEndId?: string;
  date?: string;
}

/** A camt.054.001.02 notification for a NOK account, one entry (with one TxDtls) per transaction. */
export function camt054File(messageId: string, entries: readonly CamtEntry[]): Buffer {
  const ntry = (entry: CamtEntry) => `
      <Ntry>
        <Amt Ccy="NOK">${entry.amount}</Amt><CdtDbtInd>${entry.direction ?? 'CRDT'}</CdtDbtInd>${entry.reversal ? '<RvslInd>true</RvslInd>' : ''}<Sts>BOOK</Sts>
        <BookgDt><Dt>${entry.date ?? '2026-11-25'}</Dt></BookgDt><ValDt><Dt>${entry.date ?? '2026-11-25'}</Dt></ValDt>
        <AcctSvcrRef>${entry.ref}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>${entry.ref}</AcctSvcrRef>${entry.endToEndId ? `<EndToEndId>${entry.endToEndId}</EndToEndId>` : ''}</Refs>
          <AmtDtls><TxAmt><Amt Ccy="NOK">${entry.amount}</Amt></TxAmt></AmtDtls>
          <RltdPties><Dbtr><Nm>${entry.payer ?? 'Betaler AS'}</Nm></Dbtr>${
            entry.payerAccount ? `<DbtrAcct><Id><Othr><Id>${entry.payerAccount}</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id></DbtrAcct>` : ''
          }</RltdPties>
          <RmtInf>${entry.text ? `<Ustrd>${entry.text}</Ustrd>` : ''}${
            entry.kid ? `<Strd><CdtrRefInf><Tp><CdOrPrtry><Cd>SCOR</Cd></CdOrPrtry></Tp><Ref>${entry.kid}</Ref></CdtrRefInf></Strd>` : ''
          }</RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>`;
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.02">
  <BkToCstmrDbtCdtNtfctn>
    <GrpHdr><MsgId>${messageId}</MsgId><CreDtTm>2026-11-25T10:00:00</CreDtTm></GrpHdr>
    <Ntfctn>
      <Id>${messageId}-1</Id><CreDtTm>2026-11-25T10:00:00</CreDtTm>
      <Acct><Id><Othr><Id>86011117947</Id><SchmeNm><Cd>BBAN</Cd></SchmeNm></Othr></Id><Ccy>NOK</Ccy></Acct>${entries.map(ntry).join('')}
    </Ntfctn>
  </BkToCstmrDbtCdtNtfctn>
</Document>`);
}
