import type { ThemeConfig } from 'antd';

/** The look shared by the runtime app and the designer. */
export const crmTheme: ThemeConfig = {
  token: {
    colorPrimary: '#1f6feb',
    borderRadius: 6,
    fontFamily:
      "-apple-system, BlinkMacSystemFont, 'Segoe UI', 'PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif",
  },
  components: {
    Layout: { headerBg: '#001529', headerPadding: '0 16px', siderBg: '#fff' },
  },
};

/** Below this width (antd's `md`) the menu becomes a drawer and lists become cards. */
export const PHONE_MAX_WIDTH = 767;
