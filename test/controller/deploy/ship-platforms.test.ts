/** localPlatforms: what the controller's Docker says of the images a stack ships. */
import t from 'tap';
import { localPlatforms } from '../../../controller/deploy/ship.js';

t.test('each image once, with its one local platform; images the controller lacks are left out', async (t) => {
  const asked: string[] = [];
  const local = async (image: string) => {
    asked.push(image);
    return image === 'app:1' ? 'linux/arm64' : undefined;
  };
  t.same(await localPlatforms(['app:1', 'db:2', 'app:1'], local), { 'app:1': ['linux/arm64'] });
  t.same(asked, ['app:1', 'db:2'], 'asked once per image');
  t.same(await localPlatforms([], local), {});
});
