export { AppFrame, type AppFrameProps, selectedMenuKey } from './AppFrame.tsx';
export { LanguageSwitch } from './LanguageSwitch.tsx';
export { EmptyState, ErrorState, LoadingState } from './states.tsx';
export { crmTheme, PHONE_MAX_WIDTH } from './theme.ts';
export { newQueryClient, UiProvider } from './UiProvider.tsx';
export { UserMenu } from './UserMenu.tsx';
