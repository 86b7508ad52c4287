import { AuthProvider, UiProvider } from '@crm/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import './messages.ts';
// the configured plugins' browser entries register their widgets and cells before the first render
import 'virtual:crm-plugins';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <UiProvider>
      <BrowserRouter basename="/designer">
        <AuthProvider>
          <App />
        </AuthProvider>
      </BrowserRouter>
    </UiProvider>
  </StrictMode>,
);
