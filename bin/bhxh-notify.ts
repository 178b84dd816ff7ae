#!/usr/bin/env node
// `cdk synth` / `cdk deploy`: the app with cdk-nag's AwsSolutions checks.
import { buildApp } from '../lib/app.ts';

buildApp();
