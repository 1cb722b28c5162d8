import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from './lib/offline/register-service-worker';
import { addressToAdmit, REMOTE_STORAGE_KEY } from './lib/ui/remote-config';
import './app.css';

// A remote engine saved in the Models view is reopened in the address, where the page's policy admits it.
const admitting = addressToAdmit(location.href, localStorage.getItem(REMOTE_STORAGE_KEY));
if (admitting) location.replace(admitting);
else {
  mount(App, { target: document.getElementById('app')! });
  registerServiceWorker();
}
