import { describe, expect, it } from 'vitest';
import { list, readProjected, struct, text, timestamp, type Projection } from '../../../src/aws/xml-projection.js';

const ITEM: Projection = {
  id: text('Id'),
  state: struct('State', { name: text('Name') }),
  at: timestamp('At'),
  tagSet: list('Tags', { key: text('Key'), value: text('Value') }),
};
const PROJECTION: Projection = {
  Answer: struct(null, { itemSet: list('Items', ITEM), nextToken: text('NextToken') }),
};

async function* bytesOneByOne(s: string): AsyncIterable<Uint8Array> {
  for (const b of Buffer.from(s, 'utf8')) yield Uint8Array.of(b);
}

describe('readProjected', () => {
  it('builds only the projected members, from the right depth, and skips the rest whole', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
      <Answer xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
        <requestId>r-1</requestId>
        <itemSet>
          <item>
            <id>i-1</id>
            <state><code>16</code><name>running</name></state>
            <nested><item><id>not-me</id></item></nested>
            <networkSet><item><id>nor-me</id><state><name>attached</name></state></item></networkSet>
            <at>2026-11-01T10:00:00.000Z</at>
            <tagSet><item><key>Name</key><value>web</value></item><item><key>empty</key><value/></item></tagSet>
          </item>
          <item><id>i-2</id><tagSet/></item>
          <stray>ignored</stray>
        </itemSet>
        <nextToken>t-2</nextToken>
      </Answer>`;
    expect(await readProjected(xml, PROJECTION)).toEqual({
      Items: [
        {
          Id: 'i-1',
          State: { Name: 'running' },
          At: new Date('2026-11-01T10:00:00.000Z'),
          Tags: [
            { Key: 'Name', Value: 'web' },
            { Key: 'empty', Value: '' },
          ],
        },
        { Id: 'i-2', Tags: [] },
      ],
      NextToken: 't-2',
    });
  });

  it('decodes entities, character references and CDATA, across chunks that split a multi-byte character', async () => {
    const xml = `<Answer><itemSet><item><id>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos; &#233;&#x263A; ünï ☺</id><tagSet><item><key><![CDATA[<raw & ready>]]></key><value>x</value></item></tagSet></item></itemSet></Answer>`;
    const out = await readProjected(bytesOneByOne(xml), PROJECTION);
    expect(out).toEqual({ Items: [{ Id: `a & b <c> "d" 'e' é☺ ünï ☺`, Tags: [{ Key: '<raw & ready>', Value: 'x' }] }] });
  });

  it('reads whole bytes and strings alike; an absent list is absent, not empty', async () => {
    const xml = '<Answer><itemSet><item><id>i-1</id></item></itemSet></Answer>';
    expect(await readProjected(Buffer.from(xml), PROJECTION)).toEqual({ Items: [{ Id: 'i-1' }] });
    expect(await readProjected('<Answer><nextToken>t</nextToken></Answer>', PROJECTION)).toEqual({ NextToken: 't' });
  });

  it('rejects a malformed or truncated answer rather than returning what it read so far', async () => {
    await expect(readProjected('<Answer><itemSet><item><id>i-1</id></item></itemSet>', PROJECTION)).rejects.toThrow(/malformed XML/);
    await expect(readProjected('<Answer><itemSet><item><id>i-1</item></itemSet></Answer>', PROJECTION)).rejects.toThrow(/malformed XML/);
    await expect(readProjected('<Answer>&bogus;</Answer>', PROJECTION)).rejects.toThrow(/malformed XML/);
    await expect(readProjected('<html><body>Internal Server Error</body>', PROJECTION)).rejects.toThrow(/malformed XML/);
  });

  it('rejects bytes that are not UTF-8', async () => {
    async function* bad(): AsyncIterable<Uint8Array> {
      yield Buffer.from('<Answer><nextToken>');
      yield Uint8Array.of(0xff, 0xfe);
      yield Buffer.from('</nextToken></Answer>');
    }
    await expect(readProjected(bad(), PROJECTION)).rejects.toThrow();
  });
});
