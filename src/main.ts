import { mount } from 'svelte';
import App from './App.svelte';
import { registerServiceWorker } from './lib/offline/register-service-worker';
import './app.css';

mount(App, { target: document.getElementById('app')! });
registerServiceWorker();
