import { AuthProvider, newQueryClient, UiProvider } from '@crm/ui';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { App } from './App.tsx';
import './messages.ts';
// the configured plugins' browser entries register their widgets and cells before the first render
import 'virtual:crm-plugins';
import { prefetchOpeningPage } from './prefetch.ts';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

// a data router (one splat route around the app's own <Routes>) so a form with unsaved changes can
// block in-app navigation (useBlocker) and ask first
const router = createBrowserRouter([
  {
    path: '*',
    element: (
      <AuthProvider>
        <App />
      </AuthProvider>
    ),
  },
]);

const queryClient = newQueryClient();
prefetchOpeningPage(queryClient, window.location.pathname);

createRoot(root).render(
  <StrictMode>
    <UiProvider client={queryClient}>
      <RouterProvider router={router} />
    </UiProvider>
  </StrictMode>,
);
