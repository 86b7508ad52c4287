// The example plugin's check character (GB 32100-2015) and chat robot requests, without a server.
import { createHmac } from 'node:crypto';
import { chatRequest, USCC_ALPHABET, usccCheckCharacter, usccProblem } from '@crm/plugin-uscc';
import { describe, expect, it } from 'vitest';

describe('unified social credit code', () => {
  it('accepts real codes and refuses a changed character or a letter outside the alphabet', () => {
    for (const code of [
      '91350100M000100Y43',
      '91110000600037341L',
      '911100007109310534',
      '91310000MA1FL4B24G',
    ]) {
      expect(usccProblem(code)).toBeUndefined();
    }
    expect(usccProblem('91350100M000100Y44')).toBe('check');
    expect(usccProblem('91350100M000100Y4')).toBe('shape');
    expect(usccProblem('91350100M000100YO3')).toBe('shape'); // O is not in the alphabet
    expect(usccProblem('9135010OM000100Y43')).toBe('shape'); // the division code is digits
  });

  it('finds every single-character change, whatever its position', () => {
    const code = '91350100M000100Y43';
    for (let i = 0; i < 17; i++) {
      for (const c of USCC_ALPHABET) {
        if (c === code[i]) continue;
        const changed = code.slice(0, i) + c + code.slice(i + 1);
        if (i >= 2 && i < 8 && !/\d/.test(c)) continue; // not even the shape
        expect(usccCheckCharacter(changed.slice(0, 17))).not.toBe('3');
      }
    }
  });
});

describe('chat robot requests', () => {
  const now = new Date('2026-05-04T08:00:00Z');
  it('signs DingTalk in the query and Feishu in the body', () => {
    const ding = chatRequest(
      'dingtalk',
      'https://oapi.dingtalk.com/robot/send?access_token=a',
      'hi',
      'S',
      now,
    );
    const query = new URL(ding.url).searchParams;
    expect(query.get('timestamp')).toBe(String(now.getTime()));
    expect(query.get('sign')).toBe(createHmac('sha256', 'S').update(`${now.getTime()}\nS`).digest('base64'));
    expect(ding.body).toEqual({ msgtype: 'text', text: { content: 'hi' } });
    const feishu = chatRequest('feishu', 'https://open.feishu.cn/open-apis/bot/v2/hook/x', 'hi', 'S', now);
    const seconds = String(now.getTime() / 1000);
    expect(feishu.body).toEqual({
      msg_type: 'text',
      content: { text: 'hi' },
      timestamp: seconds,
      sign: createHmac('sha256', `${seconds}\nS`).update('').digest('base64'),
    });
    expect(chatRequest('feishu', 'https://x.test/hook', 'hi', undefined, now).body).toEqual({
      msg_type: 'text',
      content: { text: 'hi' },
    });
  });
});
