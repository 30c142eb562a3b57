import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { exampleConfig } from '../vite.shared.js';

export default defineConfig(exampleConfig(import.meta.url, [vue()]));
