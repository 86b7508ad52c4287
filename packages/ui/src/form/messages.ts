/** What the form says to users, in each supported language. */
const en = {
  save: 'Save',
  cancel: 'Cancel',
  saving: 'Saving…',
  addRow: 'Add row',
  removeRow: 'Remove row',
  moveUp: 'Move up',
  moveDown: 'Move down',
  noRows: 'No rows yet',
  upload: 'Upload',
  uploading: 'Uploading…',
  uploadFailed: 'Upload failed',
  searchPlaceholder: 'Type to search',
  noMatches: 'Nothing found',
  loading: 'Loading…',
  fixErrors: 'Please fix the highlighted fields.',
  unsaved: 'You have unsaved changes. Leave this page and lose them?',
  leave: 'Leave',
  stay: 'Stay',
  conflictTitle: 'Someone else changed this record',
  conflictIntro:
    'These fields changed on the server since you opened the record. Choose which value to keep where you changed them too, then save again.',
  field: 'Field',
  yours: 'Your value',
  theirs: 'Saved by the other person',
  keepMine: 'Keep mine',
  takeTheirs: 'Take theirs',
  applyMerge: 'Merge',
  takenFromServer: 'taken from the server',
  empty: '—',
  yes: 'Yes',
  no: 'No',
  actions: 'Actions',
  row: 'Row',
  left: '(left)',
};

export type FormText = typeof en;

const zhCN: FormText = {
  save: '保存',
  cancel: '取消',
  saving: '正在保存…',
  addRow: '添加行',
  removeRow: '删除行',
  moveUp: '上移',
  moveDown: '下移',
  noRows: '暂无明细',
  upload: '上传',
  uploading: '正在上传…',
  uploadFailed: '上传失败',
  searchPlaceholder: '输入以搜索',
  noMatches: '没有找到',
  loading: '加载中…',
  fixErrors: '请修改标出的字段。',
  unsaved: '有未保存的修改。确定离开并放弃这些修改吗？',
  leave: '离开',
  stay: '留下',
  conflictTitle: '此记录已被他人修改',
  conflictIntro:
    '自您打开记录以来，以下字段已在服务器上被修改。对于您也修改过的字段，请选择要保留的值，然后再次保存。',
  field: '字段',
  yours: '您的值',
  theirs: '他人保存的值',
  keepMine: '保留我的',
  takeTheirs: '采用他人的',
  applyMerge: '合并',
  takenFromServer: '已采用服务器上的值',
  empty: '—',
  yes: '是',
  no: '否',
  actions: '操作',
  row: '行',
  left: '（已离职）',
};

const TEXTS: Record<string, FormText> = { en, 'zh-CN': zhCN };

export function formText(locale: string): FormText {
  return TEXTS[locale] ?? TEXTS[locale.split('-')[0]] ?? en;
}
