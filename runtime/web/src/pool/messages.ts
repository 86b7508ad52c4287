import { addMessages } from '@crm/ui';

/** The pool's texts (namespace `pool`): claim and release buttons, the list's pool view. */
export const POOL = 'pool';

addMessages(POOL, {
  en: {
    all: 'All',
    pool: 'Pool',
    claim: 'Claim',
    claimed: 'Claimed: it is yours now',
    release: 'Release to pool',
    releaseTitle: 'Put this record back in the pool?',
    reason: 'Reason',
    released: 'Back in the pool',
  },
  'zh-CN': {
    all: '全部',
    pool: '公海',
    claim: '领取',
    claimed: '领取成功，已归您负责',
    release: '退回公海',
    releaseTitle: '将该记录退回公海？',
    reason: '原因',
    released: '已退回公海',
  },
});
