// Test packages built from strings, in the shapes of 1EdTech's published QTI 3.0 examples (written here, not copied).
import { strToU8, zipSync } from 'fflate'

export const QTI = 'http://www.imsglobal.org/xsd/imsqtiasi_v3p0'

export function zipOf (files: Record<string, string | Uint8Array>): Uint8Array {
  const out: Record<string, Uint8Array> = {}
  for (const [name, content] of Object.entries(files)) out[name] = typeof content === 'string' ? strToU8(content) : content
  return zipSync(out, { level: 6 })
}

export interface TestResource { id: string, href: string, type?: string, deps?: string[], metadata?: string }

export function manifest (resources: TestResource[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest xmlns="http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1" identifier="test-package">
  <metadata><schema>QTI Package</schema><schemaversion>3.0.0</schemaversion></metadata>
  <organizations/>
  <resources>
${resources.map((r) => `    <resource identifier="${r.id}" type="${r.type ?? 'imsqti_item_xmlv3p0'}" href="${r.href}">
      ${r.metadata === undefined ? '' : `<metadata>${r.metadata}</metadata>`}
      <file href="${r.href}"/>
${(r.deps ?? []).map((d) => `      <dependency identifierref="${d}"/>`).join('\n')}
    </resource>`).join('\n')}
  </resources>
</manifest>`
}

/** An item file: declarations, then the body, then response processing, as the spec orders them. */
export function item (id: string, parts: { declarations: string, body: string, processing?: string, head?: string }): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<qti-assessment-item xmlns="${QTI}" identifier="${id}" title="${id}" adaptive="false" time-dependent="false">
  ${parts.declarations}
  <qti-outcome-declaration identifier="SCORE" cardinality="single" base-type="float"/>
  ${parts.head ?? ''}
  <qti-item-body>
    ${parts.body}
  </qti-item-body>
  ${parts.processing ?? ''}
</qti-assessment-item>`
}

/** A package of one item file (items/<id>.xml) and its manifest. */
export function onePackage (id: string, xml: string): Uint8Array {
  return zipOf({ 'imsmanifest.xml': manifest([{ id, href: `items/${id}.xml` }]), [`items/${id}.xml`]: xml })
}

/** A plain choice item with the given interaction body, for refusal tests. */
export function itemWithBody (id: string, body: string): string {
  return item(id, {
    declarations: '<qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier"><qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>',
    body,
    processing: '<qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"/>'
  })
}

export const CHOICE_BODY = `<p>Which?</p>
    <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
      <qti-simple-choice identifier="A">One</qti-simple-choice>
      <qti-simple-choice identifier="B">Two</qti-simple-choice>
    </qti-choice-interaction>`
