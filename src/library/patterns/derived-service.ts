/**
 * A Service a pattern makes wholly of values it checks once for everything it makes: a name
 * after its own, its pods' labels, its ports. Internal to the patterns (the public entry
 * does not export it): a user's AppService checks its own values.
 */
import { AppService } from './app-service';

/**
 * A Service whose name, selector, labels and ports its maker checks (a StatefulApp, a
 * BlueGreen pair, a ReleasedService), so that a wrong value is one problem where it was
 * given, not one more per Service made from it.
 */
export class DerivedService extends AppService {
  protected override serviceProblems(): string[] {
    return [];
  }
}
